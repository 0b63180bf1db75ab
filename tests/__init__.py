"""A package, so that test modules and the benchmarks import the fake Discord and the test helpers by one
name (``tests.fake_discord``) instead of relying on pytest putting this folder on ``sys.path``.
"""
