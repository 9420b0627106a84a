"""The pre-publish HTTP service and its editor page."""
