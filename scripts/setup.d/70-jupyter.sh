# Step: Jupyter in .venv (JupyterLab for `npm run lab`, nbclient for `npm run notebooks`). The tslab kernel is
# not registered anywhere global: its kernelspec is committed in jupyter/kernels/tslab and found via JUPYTER_PATH.
pip_install jupyter 'jupyterlab==4.6.6' 'nbclient==0.11.0' 'ipykernel==7.4.0' 'nbformat==5.11.1' 'jupyter_client==8.10.0'
[ -f jupyter/kernels/tslab/kernel.json ] \
  || die jupyter "the kernelspec jupyter/kernels/tslab/kernel.json is missing" "restore it from the repository (git checkout -- jupyter/)"
[ -x node_modules/.bin/tslab ] || die jupyter "node_modules/.bin/tslab is missing" "re-run: bash scripts/setup.sh (step npm installs tslab)"
ok jupyter "jupyterlab $("$VPY" -c 'from importlib.metadata import version; print(version("jupyterlab"))'), nbclient; tslab kernelspec in jupyter/"
