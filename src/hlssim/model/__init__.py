"""The Mesa model: ``ServiceModel`` builds the state, runs the weekly schedule and owns the agents users query."""
