-- wrk -s bench/post.lua: POST the urlencoded form in the file $BENCH_POST_BODY.
-- The Cookie header (session and csrftoken) comes from wrk's -H; the body
-- carries the matching csrfmiddlewaretoken, so Django's CSRF check passes.
local file = assert(io.open(os.getenv("BENCH_POST_BODY"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
