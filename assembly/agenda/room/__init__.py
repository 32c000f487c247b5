"""The room: residents vote and propose from their own phones, served from the facilitator's
laptop (`server`, `pages`, `qr`); what they send goes through `submissions` into the same
agenda services as typed votes."""
