"""`python -m actito_iac` runs the same CLI as the `actito-iac` console script."""

from actito_iac.cli import main

if __name__ == "__main__":
    main()
