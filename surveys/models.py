"""Models of the surveys app; its capability arrives with its own issue."""
