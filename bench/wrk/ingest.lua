-- wrk script: POST each line of WRK_DELIVERIES (bench/wrk/deliveries.py) to /webhooks/zendesk, threads interleaved.
local lines = {}
for line in io.lines(os.getenv("WRK_DELIVERIES") or "deliveries.txt") do lines[#lines + 1] = line end
local counter = 0
local thread_id = 0
local n_threads = 0
setup = function(thread) thread:set("tid", n_threads); n_threads = n_threads + 1 end
init = function(args) counter = tid end
request = function()
  counter = counter + 2
  local line = lines[(counter % #lines) + 1]
  local sig, ts, body = line:match("([^\t]+)\t([^\t]+)\t(.*)")
  return wrk.format("POST", "/webhooks/zendesk", {["Content-Type"] = "application/json",
    ["X-Zendesk-Webhook-Signature"] = sig, ["X-Zendesk-Webhook-Signature-Timestamp"] = ts}, body)
end
