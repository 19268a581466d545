"""Reports: what people read off stored results (above the store, below the command line).

For sweeps: ``paired`` (levers compared point by point: differences with intervals, who is ahead,
regret), ``sensitivity`` (Sobol, Morris or rank correlation), ``discovery`` (PRIM boxes from EMA
Workbench), ``figures`` (seaborn and matplotlib, files only) and ``sweep_report`` (the folder
``results/sweeps/SWEEP_ID/`` that holds them).
"""
