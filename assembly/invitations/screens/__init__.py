"""The invitations screens: the registrations to review (and phone registrations typed in), and
the response rates with their plot."""
