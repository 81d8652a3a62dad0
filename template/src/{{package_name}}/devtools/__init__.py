"""Tools for development and the tests: local PostgreSQL and Redis, and the `dev` command.

They use the development dependencies and stay out of the wheel (`wheel-exclude` in
pyproject.toml): the service never imports them.
"""
