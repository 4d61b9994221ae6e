# ReportRun (stored quarterly reports) arrives with the reporting feature.
