"""Design searches for funders: which contract designs hold up across plausible worlds, as a Pareto set.

A design file (``designs/contracts.yaml``) names the levers a funder can pull, the readings a good
design does well on and how they are judged over plausible worlds, the constraints a design must meet
and how hard to look (``file``). Each candidate design runs on the same seeds as business as usual,
each seed a world drawn from the posterior (``readings``: what is read off a design on one world, and
each objective's robust statistic over the worlds). The search is EMA Workbench's ``optimize`` with
Platypus's epsilon-dominance NSGA-II (``search``); the front, its hypervolume and the designs a report
names are worked out in ``front``. The runs themselves go through the one runner and the results store,
from the layer above (``reports.design_runs``), which hands the search a function that evaluates a batch
of designs.
"""
