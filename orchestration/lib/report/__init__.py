"""The crash report: a self-contained HTML page drawn from the marts (`liqmart report`, asset report/crash_report)."""
