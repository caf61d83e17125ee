-- 3M iterations of integer arithmetic in a for loop.
local total = 0
for i = 0, 3000000 - 1 do
    total = total + (i * 3 + 7) % 1000
end
print(total)
