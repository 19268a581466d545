"""Experiments: running the model. One simulation (``simulate``), the one runner for batches
(``runner``), and the analyses built on it: funders' designs and scale-up (``commissioning``),
sensitivity screening (``sensitivity``) and the trainers' Goodhart demo (``goodhart``)."""
