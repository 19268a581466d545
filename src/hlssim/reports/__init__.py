"""Reports: what people look at and hand on, read off stored results (above the store, below the
command line). Figures are seaborn on matplotlib, written as files; the same figures feed the live
page (``hlssim.app``).

A comparison of two scenarios: ``style`` (one look for every figure: titles that ask the question,
units, a caption with what was run, readable in greyscale), ``keys`` (what each key means to a
reader), ``runs`` (a group of runs and the paired comparison of two), ``series`` (weekly figures),
``differences`` (paired differences), ``funders`` and ``goodhart`` (the experiments' figures),
``validation`` (the validation report), ``charts`` (the standard set for a comparison) and
``document`` (the HTML and Markdown report, from Jinja2 templates in ``templates/``).

A sweep: ``paired`` (levers compared point by point: differences with intervals, who is ahead,
regret), ``sensitivity`` (Sobol, Morris or rank correlation), ``discovery`` (PRIM boxes from EMA
Workbench), ``figures`` (the sweep's figures) and ``sweep_report`` (the folder
``results/sweeps/SWEEP_ID/`` that holds them).

Figures are built on :class:`matplotlib.figure.Figure`, never through pyplot, so nothing needs a
display.
"""
