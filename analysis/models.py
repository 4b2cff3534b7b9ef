"""Models of the analysis app; its capability arrives with its own issue."""
