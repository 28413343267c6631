"""Learning exports: the feedback store as files that eval harnesses and fine-tuning pipelines take
as they are, with customers' personal data redacted first.

`feedbackloop export {eval,sft,dpo,ratings} --out FILE` (see `command.py`; the user's view is
docs/exports.md). Along the flow: `keys` holds the salt stored in the database, `source` streams keys
and loads tickets a chunk at a time, `conversation` reads a ticket's turns (who said what, which
customer turn each reply answers), `prompts` picks the system prompt, `records` builds one redacted
record per case (`ratings` does both for the ratings export, on Core rows, and `rating_lines` turns its rows
into lines, on worker processes through `parallel` when the export is large), `dedupe` drops
near-duplicates in constant memory, `writers` writes line by line (`formats`: the OpenAI shapes and
the column types written beside the output), and `pipeline` runs one export end to end.
"""
