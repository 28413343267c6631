"""Learning exports: the feedback store as files that eval harnesses and fine-tuning pipelines take
as they are, with customers' personal data redacted first.

`feedbackloop export {eval,sft,dpo,ratings} --out FILE` (see `command.py`). Along the flow:
`source` streams keys and loads tickets a chunk at a time, `records` builds one redacted record per
case (`ratings` does both for the ratings export, on Core rows, and `rating_lines` turns its rows
into lines, on worker processes through `parallel` when the export is large), `dedupe` drops
near-duplicates in constant memory, `writers` writes line by line, and `pipeline` runs one export
end to end.
"""
