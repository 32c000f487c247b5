"""Invitations by lottery: the civic lottery's first stage, from the address file to the pool.

The mailing frame is imported and joined to areas (`frame`), letters are drawn by a seeded,
recomputable lottery with every address's inclusion probability kept (`lottery`, `waves`),
printed (`letters`), answered (`registrations`, matched by `matching`, doubts settled in
`review`) and counted (`rates`), so the organiser knows who was invited, who answered and where engagement is weakest.
"""
