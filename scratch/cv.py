import sys, json, functools, os, time
sys.path.insert(0,'benchmarks'); sys.path.insert(0,'.')
import fit_align as F
import workbench.align as WA
from align_data import mac, textberg, synthetic_edge_cases
F.HYPER.update(epochs=int(os.environ.get('EPOCHS',50)), loss=float(os.environ.get('LOSS',0.6)))
kw=json.loads(os.environ.get('P','{}'))
if 'ngrams' in kw: kw['ngrams']=tuple(kw['ngrams'])
F.build_inputs=functools.partial(WA.build_inputs, params=WA.AlignParams(**kw))
synth=synthetic_edge_cases()
mac_docs, tb_docs = mac(), textberg()
plan = {
 "mt-lex": lambda: [[F.Prepared(d, True) for d in mac_docs]] + [[F.Prepared(d, True) for d in synth if d.name == "zh_seeds"]],
 "mt": lambda: [[F.Prepared(d, True) for d in tb_docs], [F.Prepared(d, True) for d in mac_docs]] + [[F.Prepared(d, True) for d in synth]],
 "lex": lambda: [[F.Prepared(d, False) for d in mac_docs]],
 "plain": lambda: [[F.Prepared(d, False) for d in tb_docs]] + [[F.Prepared(d, False) for d in synth if d.name != "zh_seeds"]],
}
for mode in sys.argv[1].split(','):
    t=time.time()
    cv=F.cross_validate(plan[mode](), mode)
    print(os.environ.get('P',''), os.environ.get('TAG',''), mode, {k: round(v,4) for k,v in cv.items()}, f"{time.time()-t:.0f}s", flush=True)
