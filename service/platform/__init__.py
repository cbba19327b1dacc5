"""What every process needs: settings, store clients, logging, process metrics, failpoints and
the embedded servers."""
