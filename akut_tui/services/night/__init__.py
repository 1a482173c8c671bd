"""Night work: beds, stays, nightly decisions, outreach, the handover, live changes."""
