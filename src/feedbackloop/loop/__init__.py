"""loop: the feedback loop itself, in the order a ticket walks it.

receive (signed webhook → stored event + job) → lifecycle (fold events into states, schedule surveys) →
survey (send as one public comment) → answers/ratings (the customer's click) → signals, overrides,
decisions, verdicts (what else the ticket tells us) → writeback/bulk (tags, fields, note, review tasks).
records holds what several steps write (signals, review requests, the ticket's state row) so that
no step imports a later one; attribution freezes who a rating is about; reconcile replays what
Zendesk failed to deliver through receive.

May import: wiring, jobs, helpdesks, store, core.
"""
