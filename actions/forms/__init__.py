"""The intake forms (urgent follow-up, report, help): questions, validation, completion."""
