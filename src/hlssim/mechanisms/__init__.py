"""Mechanisms: what happens each week, one module per family, each a set of functions with a contract.

A mechanism function takes the pieces of state it reads and writes (``Citizens``, ``Workers``,
``Teams``, ``Providers``, ``Evidence``, the ``Ledger`` ...), the parameters and practice
settings it reads, and the random stream it draws from; it returns what it computes for later
steps instead of leaving it on the model. ``@writes(...)`` on the line above it declares the
state it may change (``contract``; ``tests/test_contract.py`` holds every mechanism to it).
None of them imports the model, so each can be run on a small hand-built state
(``tests/test_units.py``).
The weekly order is ``hlssim.model.service.ServiceModel.step`` (docs/architecture.md).

==================  ===================================================  ==========
module              mechanism                                            ODD section
==================  ===================================================  ==========
``population``      who citizens and workers are; newcomers               5
``life``            drift, life events, recovery and spillover            7.1
``crises``          crises and their £ costs                              7.2
``demand``          help-seeking, the front door, intake                  7.3
``queue``           what waiting costs: deterioration, giving up          7.3a
``casework``        time use, parking, support choice, support effect     7.4-7.6
``relationships``   trust, what matters, agency, learning in the pair     7.7
``accountability``  closing cases and the record; misreporting            7.8
``measurement``     the proxy: what the accountability system measures    7.3, 7.8
``noise``           cheap random numbers for the many small draws         4, 8.2
``targets``         incentives, targets and the ratchet                   7.9, 7.12
``learning``        team learning cycles; central evaluation              7.10, 7.11
``workforce``       motivation, stress, burnout, turnover                 7.12
``quality``         bad practice: drift, harm, and what catches it        7.12a
``funding``         the funder's budget, spend and outcome payments       7.13
``finances``        providers' books: margins by payment group, steer     7.13a
``market``          providers, re-commissioning, selection                7.14
``contract``        ``@writes``: the state a mechanism may change         3
==================  ===================================================  ==========
"""
