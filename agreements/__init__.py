"""The framework agreement and sub-agreements (issue: agreements). Registered now to fix
the layout."""
