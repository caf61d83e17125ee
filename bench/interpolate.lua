-- Interpolation and string builtins: 100k lines built from templates, then trimmed, replaced,
-- upper-cased, split and tested, as a script that reshapes kubectl output does.
local total, hosts = 0, 0
for i = 0, 99999 do
    local host = "lms-" .. i .. ".example.com"
    local line = "  " .. host .. ":" .. ((i % 65535) + 1) .. " ready=" .. tostring(i % 2 == 0) .. "  "
    local u = string.upper((line:match("^%s*(.-)%s*$"):gsub("example", "test")))
    local a, b = u:match("^([^:]*):(.*)$")
    total = total + #a + #b
    if u:sub(1, 5) == "LMS-1" then hosts = hosts + 1 end
end
print(total .. " " .. hosts)
