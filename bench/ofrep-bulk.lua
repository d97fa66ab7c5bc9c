wrk.method = "POST"
wrk.body = '{"context":{}}'
wrk.headers["Content-Type"] = "application/json"
