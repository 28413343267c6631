"""jobs: the durable job queue (the database is the queue) and the rate budget that paces ticket
updates against Zendesk's limits. What each job kind does lives in the loop; the table that maps kinds
to functions and the alarm clock that drains the queue live in `feedbackloop.runner`.

May import: store, helpdesks, core.
"""
