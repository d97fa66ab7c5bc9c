wrk.method = "POST"
wrk.body = '{"journey":{"companyName":"Umbrella Corporation","steps":[{"stepName":"Discovery"},{"stepName":"Purchase"}]}}'
wrk.headers["Content-Type"] = "application/json"
