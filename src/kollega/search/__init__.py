"""Social search over everything a person may see."""
