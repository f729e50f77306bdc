select distinct period from cc_current order by period
