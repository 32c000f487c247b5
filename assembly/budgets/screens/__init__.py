"""The Budgets screen: a participatory-budgeting round from setup to its published result."""
