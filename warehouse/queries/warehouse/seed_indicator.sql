insert into raw.indicators values (?, ?, ?, ?, ?)
