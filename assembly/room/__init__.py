"""The room: a small web server on the facilitator's laptop for residents' phones."""
