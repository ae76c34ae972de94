
7offeredR-V001-3:'
vehicle*VAN-007@€žŽ¯¢4H€½×¯¢4`€§ˆ°¢4