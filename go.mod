module github.com/graphmock/graphmock

go 1.26
