"""Models of the actionplans app; its capability arrives with its own issue."""
