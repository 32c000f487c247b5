"""Feedback: the append-only, hash-chained log of what happened to each recommendation, its
signed checkpoints, exchange with CSV and Decidim, published reports, the scrutiny committee's
review and `assembly serve` (`web/`: the read-only scrutiny screens in a browser).

May import: `assembly.core` and `assembly.store`; it serves the other areas and imports none of
them. Only `screens/` may import Textual and `assembly.ui`.
"""
