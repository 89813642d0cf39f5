package fold

// General is the normalising fold that String's table must agree with.
var General = general
