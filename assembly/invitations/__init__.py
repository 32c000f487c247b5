"""Invitations by lottery: the civic lottery's first stage, from the address file to the pool.

The mailing frame is imported and joined to areas (`frame`), letters are drawn by a seeded,
recomputable lottery with every address's inclusion probability kept (`draw`), printed
(`letters`), answered (`registrations`, matched by `matching`) and counted (`rates`), so the
organiser knows who was invited, who answered and where engagement is weakest.
"""
