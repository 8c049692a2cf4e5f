META
key;value
description;hand-made approval example
country;China
unit;望湖街道
num_projects;3
num_votes;4
budget;100000
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;name
1;60000;加装电梯
2;30000;"路灯, 更换"
10;20000;健身器材
VOTES
voter_id;vote
v1;1,2
v2;2,10
v3;1
v4;10
