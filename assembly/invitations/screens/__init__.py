"""Screens of the invitations area (thin over its services)."""
