wrk.method = "POST"
wrk.body = '{"context":{"targetingKey":"user-1"}}'
wrk.headers["Content-Type"] = "application/json"
wrk.path = "/ofrep/v1/evaluate/flags/errorInjectionEnabled"
