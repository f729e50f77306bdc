select distinct period from cc_arrived order by period
