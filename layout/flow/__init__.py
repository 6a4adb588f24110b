"""Flow: body lines and subheads distributed over an article's text columns."""
