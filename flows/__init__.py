"""Prefect flows: thin wrappers that run bluebook's functions as tasks on a schedule."""
