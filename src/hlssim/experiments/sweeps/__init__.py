"""Sweeps: experiment designs over any parameters, run through the one runner.

``file`` reads and checks a sweep file (worlds, levers, uncertainties, design, outcomes);
``design`` samples the design points (grid, or SALib's Latin hypercube, Sobol/Saltelli and
Morris samplers); ``plan`` turns a sweep into RunSpecs (every lever on the same seeds at every
point) and gives it an id; ``outcomes`` says what can be read off a run and which way is better;
``ema`` hands hlssim to EMA Workbench users as a ``Model``. Storing and resuming a sweep is
``hlssim.store.sweeps``; its analysis and figures are ``hlssim.reports``.
"""
