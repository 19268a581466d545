"""The live page (``hlssim app``): Goodhart, live, for trainers, and a what-if for policy teams.

Modules: ``live`` (NPM and HLS stepped together on one seed), ``whatif`` (a scenario against the
same with a few dials moved, on a few seeds) and ``page`` (the Solara components, served by
``solara run hlssim.app.page``). The top layer: it may import anything below it.
"""
