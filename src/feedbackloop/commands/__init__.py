"""commands: the `feedbackloop` subcommands with more than a line of their own: install / doctor /
app, config check, report, tenant, demo. `feedbackloop.cli` names them and loads each on use.

May import: the app factory and process roles (`feedbackloop.app`, `feedbackloop.runtime`) and every
layer below them.
"""
