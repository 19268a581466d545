"""Reports: what people look at and hand on. Figures (seaborn on matplotlib, written as files),
and the HTML and Markdown report of a comparison.

Modules: ``style`` (one look for every figure: titles that ask the question, units, a caption
with what was run, readable in greyscale), ``keys`` (what each key means to a reader),
``runs`` (a group of runs and the paired comparison of two), ``series`` (weekly figures),
``differences`` (paired differences), ``funders`` and ``goodhart`` (the experiments' figures),
``charts`` (the standard set for a comparison) and ``document`` (the report, from Jinja2
templates in ``templates/``).

Figures are built on :class:`matplotlib.figure.Figure`, never through pyplot, so nothing needs a
display and the live page (``hlssim.app``) can show the same figures.
"""
