"""Domain services: the rules of an assembly, over the store, with clock and randomness injected."""
