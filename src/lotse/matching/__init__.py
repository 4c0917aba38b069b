"""Matching mentees with mentors."""
