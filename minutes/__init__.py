"""Minutes, comments and approval (issue: minutes). Registered now to fix the layout."""
